import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../server/auth/password-rules';
import { Field, TextInput } from '../../ui/field';

/** A password an admin may choose for someone; left empty, the server generates a strong one. */
export function OptionalPasswordField({ label }: { label: string }) {
  return (
    <Field label={label} hint={`Optional, at least ${PASSWORD_MIN_LENGTH} characters. Leave it empty and a strong one is generated.`}>
      <TextInput name="password" type="password" minLength={PASSWORD_MIN_LENGTH} maxLength={PASSWORD_MAX_LENGTH} autoComplete="new-password" />
    </Field>
  );
}
