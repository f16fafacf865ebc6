import { z } from 'zod';

/**
 * The one response shape of every REST route:
 *   success: {"code":200,"success":true,"data":...}
 *   error:   {"code":4xx|5xx,"success":false,"error":"message naming the field"}
 */
export interface SuccessBody<T> {
  code: number;
  success: true;
  data: T;
}
export interface ErrorBody {
  code: number;
  success: false;
  error: string;
}

export const errorBodySchema = z
  .object({
    code: z.number().int().meta({ example: 400 }),
    success: z.literal(false),
    error: z.string().meta({ example: 'Phone: expected string, received number' }),
  })
  .meta({ id: 'Error' });

export function successBodySchema(data: z.ZodType) {
  return z.object({ code: z.literal(200), success: z.literal(true), data });
}

export function successBody<T>(data: T): string {
  return JSON.stringify({ code: 200, success: true, data } satisfies SuccessBody<T>);
}

export function errorBody(code: number, error: string): string {
  return JSON.stringify({ code, success: false, error } satisfies ErrorBody);
}
