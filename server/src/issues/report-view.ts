import type { AttachmentView, IssueEventView, IssueReceipt, SlaClockView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import type { StoredPhoto } from '../attachments/attachment-storage.service';
import { attachmentUrl, thumbUrl } from './issue-queries.service';
import type { ReportInsert, ReportReturned } from './report-statement';

/** The short answer to a report (`Prefer: return=minimal`): what a phone keeps of the issue. */
export function receiptOf(issue: IssueReceipt): IssueReceipt {
  return { id: issue.id, number: issue.number, status: issue.status, version: issue.version };
}

/** The parts of the new issue's detail view, from what the insert returned: nothing is read again. */
export function reportedParts(
  actor: Actor,
  insert: Pick<ReportInsert, 'at'>,
  eventData: Record<string, unknown>,
  stored: readonly StoredPhoto[],
  returned: Pick<ReportReturned, 'eventId' | 'attachmentIds'>,
  slaClocks: SlaClockView[],
): { timeline: IssueEventView[]; attachments: AttachmentView[]; extensions: []; slaClocks: SlaClockView[] } {
  const attachments: AttachmentView[] = stored.map((p, i) => {
    const id = returned.attachmentIds![i]!;
    const { mimeType, sizeBytes, sha256, width, height } = p;
    return { id, kind: 'before', mimeType, sizeBytes, sha256, width, height, url: attachmentUrl(id), thumbUrl: thumbUrl(id) };
  });
  const event: IssueEventView = {
    id: returned.eventId,
    type: 'report',
    fromStatus: null,
    toStatus: 'reported',
    actorId: actor.id,
    actorName: actor.displayName,
    note: null,
    data: eventData,
    at: insert.at.toISOString(),
    attachments,
  };
  return { timeline: [event], attachments, extensions: [], slaClocks };
}
