import type { AnyRoute } from '../http/route';

export const sendInteractiveRoutes: AnyRoute[] = [];
