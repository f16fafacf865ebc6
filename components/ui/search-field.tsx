'use client';

import { useEffect, useState } from 'react';
import { TextInput } from './field';
import { useDebounced } from './use-debounced';

/**
 * The search box above a list searched on the server: `onSearch` gets the trimmed text once the
 * user stops typing for `delayMs`, so the list is asked for once per pause, not once per key.
 */
export function SearchField({
  label,
  placeholder,
  onSearch,
  delayMs = 300,
}: {
  /** The accessible name (the box has no visible label). */
  label: string;
  placeholder: string;
  onSearch: (search: string) => void;
  delayMs?: number;
}) {
  const [input, setInput] = useState('');
  const search = useDebounced(input.trim(), delayMs);
  useEffect(() => {
    onSearch(search);
  }, [search, onSearch]);
  return <TextInput type="search" aria-label={label} placeholder={placeholder} value={input} onChange={(e) => setInput(e.target.value)} />;
}
