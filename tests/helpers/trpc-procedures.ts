import type { z } from 'zod';
import { appRouter } from '../../server/trpc/router';
import { inputFields } from './hostile';

export type Callable = (input: unknown) => Promise<unknown>;
export interface Procedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
  fields: string[];
}

type Def = { procedure?: boolean; type?: Procedure['type']; inputs?: unknown[]; procedures?: Record<string, unknown> };

/** Every procedure of the app router by dotted path (read from the router, so new ones are covered). */
export function trpcProcedures(): Procedure[] {
  const walk = (node: Record<string, unknown>, prefix: string): Procedure[] =>
    Object.entries(node).flatMap(([key, value]): Procedure[] => {
      const path = prefix ? `${prefix}.${key}` : key;
      const def = (value as { _def?: Def })._def;
      if (def?.procedure) {
        const inputs = (def.inputs ?? []) as z.ZodType[];
        return [{ path, type: def.type ?? 'query', inputs, fields: inputs.flatMap((i) => inputFields(i)) }];
      }
      return walk((def?.procedures ?? value) as Record<string, unknown>, path);
    });
  return walk(appRouter._def.procedures as unknown as Record<string, unknown>, '');
}

/** The caller's function for a dotted path. */
export function procedureOf(caller: unknown, path: string): Callable {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as Callable;
}

/** Whether every input parser of the procedure accepts the value (then it is a valid call, not a hostile one). */
export function acceptsInput(p: Procedure, value: unknown): boolean {
  return p.inputs.every((i) => i.safeParse(value).success);
}
