import type { AnyRoute } from '../http/route';

export const chatRoutes: AnyRoute[] = [];
