import { router } from './init';
import { systemRouter } from './routers/system';
import { sessionRouter } from './routers/session';
import { webhookRouter } from './routers/webhook';
import { messageRouter } from './routers/message';
import { accountRouter } from './routers/account';
import { sandboxRouter } from './routers/sandbox';
import { groupRouter } from './routers/group';
import { contactRouter } from './routers/contact';
import { callRouter } from './routers/call';
import { labelRouter } from './routers/label';
import { newsletterRouter } from './routers/newsletter';
import { businessRouter } from './routers/business';
import { apiKeyRouter, serversRouter, sessionListRouter, sessionSettingsRouter } from './routers/operator';
import { auditRouter } from './routers/audit';
import { eventRouter } from './routers/event';
import { inboxRouter } from './routers/inbox';

export const appRouter = router({
  system: systemRouter,
  session: sessionRouter,
  webhook: webhookRouter,
  message: messageRouter,
  account: accountRouter,
  sandbox: sandboxRouter,
  group: groupRouter,
  contact: contactRouter,
  calls: callRouter,
  label: labelRouter,
  newsletter: newsletterRouter,
  business: businessRouter,
  sessionList: sessionListRouter,
  apiKey: apiKeyRouter,
  sessionSettings: sessionSettingsRouter,
  servers: serversRouter,
  audit: auditRouter,
  event: eventRouter,
  inbox: inboxRouter,
});

export type AppRouter = typeof appRouter;
