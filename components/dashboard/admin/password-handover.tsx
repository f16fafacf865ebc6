import { LeaveDialogButton } from '../../ui/dialog';
import { SecretReveal } from '../../ui/secret-reveal';

/** A password an admin just set, shown once to hand over to its user (Done asks first unless it was copied). */
export function PasswordHandover({ label, password, onDone }: { label: string; password: string; onDone: () => void }) {
  return (
    <>
      <SecretReveal label={label} value={password} note="Give it to the user; they can change it under Account. It is shown only this once." />
      <div className="flex justify-end">
        <LeaveDialogButton variant="primary" onLeave={onDone}>Done</LeaveDialogButton>
      </div>
    </>
  );
}
