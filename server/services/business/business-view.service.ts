import { ApiError } from '../../http/errors';
import { NOT_BUSINESS } from './business-account';
import { businessProfile, type BusinessProfileAnswer } from './profile.service';
import { listCatalog, type CatalogAnswer } from './catalog.service';

/** The dashboard's read-only view of this account as a business: its profile and catalog. */

export type BusinessView = { business: false } | { business: true; profile: BusinessProfileAnswer; catalog: CatalogAnswer };

/** `{ business: false }` for a personal account (WhatsApp holds no business profile for it). */
export async function businessView(sessionId: string): Promise<BusinessView> {
  try {
    const profile = await businessProfile(sessionId, undefined);
    const catalog = await listCatalog(sessionId, undefined);
    return { business: true, profile, catalog };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && error.message === NOT_BUSINESS) return { business: false };
    throw error;
  }
}
