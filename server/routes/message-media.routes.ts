import type { AnyRoute } from '../http/route';

export const messageMediaRoutes: AnyRoute[] = [];
