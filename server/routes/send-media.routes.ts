import type { AnyRoute } from '../http/route';

export const sendMediaRoutes: AnyRoute[] = [];
