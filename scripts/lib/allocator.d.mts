/** The C allocator's settings WaGo runs with (see allocator.mjs). */
export const ALLOCATOR_ENV: Readonly<Record<string, string>>;
