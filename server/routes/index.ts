import type { AnyRoute } from '../http/route';
import { serverRoutes } from './server.routes';
import { sessionRoutes } from './session.routes';
import { sessionSettingsRoutes } from './session-settings.routes';
import { webhookRoutes } from './webhook.routes';
import { sendRoutes } from './send.routes';
import { messageRoutes } from './message.routes';
import { sendMediaRoutes } from './send-media.routes';
import { sendInteractiveRoutes } from './send-interactive.routes';
import { messageMediaRoutes } from './message-media.routes';
import { chatRoutes } from './chat.routes';
import { statusRoutes } from './status.routes';
import { userRoutes } from './user.routes';
import { contactRoutes } from './contact.routes';
import { groupRoutes } from './group.routes';
import { communityRoutes } from './community.routes';
import { callRoutes } from './call.routes';
import { businessRoutes } from './business.routes';
import { labelRoutes } from './label.routes';
import { newsletterRoutes } from './newsletter.routes';
import { botRoutes } from './bot.routes';
import { opsRoutes } from './ops.routes';
import { auditRoutes } from './audit.routes';

/** Every REST route of WaGo. One file per API section; each route is declared once. */
export const routes: AnyRoute[] = [
  ...sessionRoutes,
  ...sessionSettingsRoutes,
  ...webhookRoutes,
  ...sendRoutes,
  ...sendMediaRoutes,
  ...sendInteractiveRoutes,
  ...messageRoutes,
  ...messageMediaRoutes,
  ...chatRoutes,
  ...statusRoutes,
  ...userRoutes,
  ...contactRoutes,
  ...groupRoutes,
  ...communityRoutes,
  ...callRoutes,
  ...businessRoutes,
  ...labelRoutes,
  ...newsletterRoutes,
  ...botRoutes,
  ...serverRoutes,
  ...opsRoutes,
  ...auditRoutes,
];
