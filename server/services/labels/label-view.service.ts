import { labelRepository, type LabelLink } from '../../repositories/label.repository';

/** The session's stored labels and what they are on, for the dashboard's message log. */

export interface LabelView {
  id: string;
  name: string | null;
  /** WhatsApp's palette index (0–19). */
  color: number | null;
}

export interface LabelsOverview {
  labels: LabelView[];
  /** The chats (messageId "") and messages each live label is on. */
  links: LabelLink[];
}

/** Labels as stored from WhatsApp's app state (deleted ones left out, with their links). */
export async function labelsOverview(sessionId: string): Promise<LabelsOverview> {
  const [labels, links] = await Promise.all([labelRepository.list(sessionId), labelRepository.links(sessionId)]);
  const live = labels.filter((l) => !l.deleted);
  const ids = new Set(live.map((l) => l.labelId));
  return {
    labels: live.map((l) => ({ id: l.labelId, name: l.name, color: l.color })),
    links: links.filter((l) => ids.has(l.labelId)),
  };
}
