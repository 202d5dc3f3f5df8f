"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { blockMatch, reportMatch } from "@/lib/realtime/client/match-client";
import type { MatchDto, MatchReportReason } from "@/lib/realtime/protocol";
import { MATCH_REPORT_DETAILS_MAX_LENGTH, MATCH_REPORT_REASONS } from "@/lib/realtime/protocol-constants";
import { BanIcon, FlagIcon } from "./match-icons";
import { REPORT_REASON_LABELS } from "./match-text";
import { AlertText } from "@/components/ui/alert-text";
import { TextAreaField } from "@/components/ui/text-area-field";

function errorText(action: string, error: unknown): string {
  return error instanceof Error && error.message ? `Could not ${action}: ${error.message}` : `Could not ${action}.`;
}

function ReportForm({ match, onCancel }: { match: MatchDto; onCancel: () => void }) {
  const [reason, setReason] = useState<MatchReportReason>("harassment");
  const [details, setDetails] = useState("");
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    try {
      await reportMatch(match.id, reason, details);
    } catch (caught) {
      setError(errorText("send the report", caught));
      setIsSending(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label={`Report ${match.peer.alias}`} className="flex flex-col gap-3 rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
      <SelectField label="Reason" name="reason" value={reason} onChange={(event) => setReason(event.target.value as MatchReportReason)}>
        {MATCH_REPORT_REASONS.map((value) => (
          <option key={value} value={value}>
            {REPORT_REASON_LABELS[value]}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Details"
        hint="(optional)"
        value={details}
        maxLength={MATCH_REPORT_DETAILS_MAX_LENGTH}
        rows={3}
        onChange={(event) => setDetails(event.target.value)}
      />
      <AlertText>{error}</AlertText>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSending} aria-busy={isSending || undefined}>
          {isSending ? "Sending…" : "Send report"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/**
 * "Block this person" (never matched again; the blocker never learns who it was) and "Report" (for
 * the moderators, who see both accounts). Each says so once done.
 */
export function MatchSafety({ match }: { match: MatchDto }) {
  const [isReporting, setIsReporting] = useState(false);
  const [isBlocking, setIsBlocking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const block = async () => {
    setIsBlocking(true);
    setError(null);
    try {
      await blockMatch(match.id);
    } catch (caught) {
      setError(errorText("block", caught));
    } finally {
      setIsBlocking(false);
    }
  };

  return (
    <div className="flex flex-col gap-3" data-testid="match-safety">
      <div className="flex flex-wrap gap-2">
        {match.blocked ? (
          <p role="status" className="inline-flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300" data-testid="match-blocked">
            <BanIcon className="h-4 w-4" />
            Blocked: you will not be matched with {match.peer.alias} again.
          </p>
        ) : (
          <Button variant="danger" onClick={() => void block()} disabled={isBlocking} aria-busy={isBlocking || undefined}>
            <BanIcon className="h-4 w-4" />
            Block this person
          </Button>
        )}
        {match.reported ? (
          <p role="status" className="inline-flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300" data-testid="match-reported">
            <FlagIcon className="h-4 w-4" />
            Report sent. Thank you: the moderators will look into it.
          </p>
        ) : !isReporting ? (
          <Button variant="danger" onClick={() => setIsReporting(true)}>
            <FlagIcon className="h-4 w-4" />
            Report
          </Button>
        ) : null}
      </div>
      <AlertText>{error}</AlertText>
      {isReporting && !match.reported ? <ReportForm match={match} onCancel={() => setIsReporting(false)} /> : null}
    </div>
  );
}
