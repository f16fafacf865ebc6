/**
 * PIX keys (Brazil's instant payments) as WhatsApp's `payment_info` / `review_and_pay` native-flow
 * buttons carry them: `payment_settings: [{type: "pix_static_code", pix_static_code: {merchant_name,
 * key, key_type}}]`, key_type one of CPF, CNPJ, EMAIL, PHONE, EVP (a random key, a UUID).
 */
export const PIX_TYPES = ['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP'] as const;
export type PixType = (typeof PIX_TYPES)[number];

const SHAPES: Record<PixType, { test: RegExp; describe: string }> = {
  CPF: { test: /^[0-9]{11}$/, describe: 'a CPF (11 digits)' },
  CNPJ: { test: /^[0-9]{14}$/, describe: 'a CNPJ (14 digits)' },
  EMAIL: { test: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, describe: 'an e-mail address' },
  PHONE: { test: /^\+[0-9]{10,15}$/, describe: 'a phone number in international format (+5511999999999)' },
  EVP: { test: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, describe: 'a random key (UUID)' },
};

/** CPF/CNPJ may be written with dots, dashes and slashes; phones with spaces. */
export function normalizePixKey(key: string, type: PixType): string {
  const trimmed = key.trim();
  if (type === 'CPF' || type === 'CNPJ') return trimmed.replace(/[.\-/\s]/g, '');
  if (type === 'PHONE') return trimmed.replace(/[\s()-]/g, '');
  if (type === 'EVP') return trimmed.toLowerCase();
  return trimmed;
}

/** The type a key has when PixType is not given; undefined when it cannot tell. */
export function inferPixType(key: string): PixType | undefined {
  return PIX_TYPES.find((type) => SHAPES[type].test.test(normalizePixKey(key, type)));
}

/** Why `key` is not a key of `type` (undefined when it is). */
export function pixKeyProblem(key: string, type: PixType): string | undefined {
  return SHAPES[type].test.test(normalizePixKey(key, type)) ? undefined : `must be ${SHAPES[type].describe} for PixType ${type}`;
}

export interface PixSetting {
  key: string;
  type: PixType;
  merchantName: string;
}

export function pixPaymentSetting(pix: PixSetting) {
  return {
    type: 'pix_static_code',
    pix_static_code: { merchant_name: pix.merchantName, key: normalizePixKey(pix.key, pix.type), key_type: pix.type },
  };
}
