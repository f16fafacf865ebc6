import { z } from 'zod';
import { adminProcedure, authedProcedure, router } from '../init';
import { changeOwnPassword, createAccount, deleteAccount, emailSchema, listAccounts, passwordSchema, resetPassword } from '../../services/account.service';

/** Dashboard accounts: who am I, change my password; admins list, create and delete accounts. */
export const accountRouter = router({
  me: authedProcedure.query(({ ctx }) => ctx.actor),
  changePassword: authedProcedure
    .input(z.object({ current: z.string().min(1, 'is required'), next: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await changeOwnPassword(ctx.actor, input.current, input.next);
      return { changed: true };
    }),
  list: adminProcedure.query(({ ctx }) => listAccounts(ctx.actor)),
  create: adminProcedure
    .input(z.object({ email: emailSchema, name: z.string().max(100).optional(), role: z.enum(['admin', 'tenant']), password: passwordSchema.optional() }))
    .mutation(({ ctx, input }) => createAccount(ctx.actor, input)),
  resetPassword: adminProcedure
    .input(z.object({ id: z.uuid(), password: passwordSchema.optional() }))
    .mutation(({ ctx, input }) => resetPassword(ctx.actor, input.id, input.password)),
  delete: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await deleteAccount(ctx.actor, input.id);
    return { deleted: true };
  }),
});
