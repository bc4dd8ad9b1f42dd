"use client";

import { useEffect, useState, useTransition } from "react";
import { addCasesAction, findCandidateCasesAction, type CandidatePage } from "@/app/(app)/studies/actions";
import { Feedback } from "@/components/common/form-feedback";
import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { INITIAL_FORM_STATE } from "@/lib/form-state";
import { LABEL_STATUS_LABEL, SUBTYPE_LABEL, subtypeLabel, type LabelStatus } from "@/lib/labels";

type Filters = { search: string; siteId: string | null; subtype: string | null; labelStatus: string | null };

/**
 * Cases to add to a draft study, from any of the coordinator's sites (a multi-site study pools
 * them): search by accession key, filter by site, truth and label status, 50 a page. Cases
 * without a truth cannot be scored and are not offered.
 */
export function CasePicker(props: {
  studyId: string;
  sites: { id: string; code: string }[];
  answers: string[];
  inStudy: string[];
}) {
  const [filters, setFilters] = useState<Filters>({ search: "", siteId: null, subtype: null, labelStatus: null });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<CandidatePage | { error: string } | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [isLoading, startLoading] = useTransition();
  const [state, submit, isPending] = useKeptFormAction(addCasesAction, INITIAL_FORM_STATE);
  const after = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    const timer = setTimeout(
      () => startLoading(async () => setPage(await findCandidateCasesAction({ ...filters, after }))),
      filters.search ? 250 : 0,
    );
    return () => clearTimeout(timer);
  }, [filters, after, state]);
  useEffect(() => {
    if (state.message) setChecked(new Set());
  }, [state]);

  const change = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setCursors([null]);
  };
  const found = page && "cases" in page ? page.cases.filter((c) => c.truth && !props.inStudy.includes(c.id)) : [];
  // A case whose truth is not one of the study's answers could not be scored: not offered.
  const offered = found.filter((c) => props.answers.includes(c.truth!));
  const outside = found.length - offered.length;
  return (
    <form onSubmit={submit} className="stack" aria-label="Add cases">
      <input type="hidden" name="studyId" value={props.studyId} />
      {[...checked].map((id) => (
        <input key={id} type="hidden" name="caseIds" value={id} />
      ))}
      <CaseFilters filters={filters} change={change} sites={props.sites} answers={props.answers} />
      {page && "error" in page ? (
        <p role="alert" className="error">
          {page.error}
        </p>
      ) : null}
      <div className="case-picker" role="group" aria-label="Labelled cases" aria-busy={isLoading}>
        {offered.length === 0 && page && !isLoading ? <p className="muted">No case matches.</p> : null}
        {offered.map((c) => (
          <label key={c.id} className="inline-field">
            <input
              type="checkbox"
              checked={checked.has(c.id)}
              onChange={(e) => {
                const next = new Set(checked);
                if (e.target.checked) next.add(c.id);
                else next.delete(c.id);
                setChecked(next);
              }}
            />
            {c.accessionKey} <span className="muted">{subtypeLabel(c.truth!)}</span>{" "}
            <span className="muted small">{c.site}</span>
          </label>
        ))}
      </div>
      {outside > 0 ? (
        <p className="muted small">
          {outside} case{outside === 1 ? "" : "s"} on this page {outside === 1 ? "has" : "have"} a truth that is not an
          answer of this study: not offered (the study could not score {outside === 1 ? "it" : "them"}).
        </p>
      ) : null}
      <div className="row">
        <button
          type="button"
          onClick={() => setCursors((c) => c.slice(0, -1))}
          disabled={cursors.length <= 1 || isLoading}
        >
          Previous page
        </button>
        <span className="muted small">Page {cursors.length}</span>
        <button
          type="button"
          onClick={() => page && "endCursor" in page && setCursors((c) => [...c, page.endCursor])}
          disabled={!page || !("hasNextPage" in page) || !page.hasNextPage || isLoading}
        >
          Next page
        </button>
        <button
          type="button"
          onClick={() => setChecked(new Set([...checked, ...offered.map((c) => c.id)]))}
          disabled={offered.length === 0}
        >
          Tick this page
        </button>
        <button type="submit" className="primary" disabled={isPending || checked.size === 0}>
          Add {checked.size || ""} case{checked.size === 1 ? "" : "s"}
        </button>
        <Feedback state={state} />
      </div>
    </form>
  );
}

function CaseFilters({
  filters,
  change,
  sites,
  answers,
}: {
  filters: Filters;
  change: (next: Partial<Filters>) => void;
  sites: { id: string; code: string }[];
  answers: string[];
}) {
  return (
    <div className="row" role="search" aria-label="Find cases">
      <label className="field">
        Accession key
        <input
          type="search"
          value={filters.search}
          onChange={(e) => change({ search: e.target.value })}
          placeholder="e.g. N-00"
        />
      </label>
      <label className="field">
        Site
        <select value={filters.siteId ?? ""} onChange={(e) => change({ siteId: e.target.value || null })}>
          <option value="">All my sites</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.code}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Truth
        <select value={filters.subtype ?? ""} onChange={(e) => change({ subtype: e.target.value || null })}>
          <option value="">Any of the study&apos;s answers</option>
          {answers.map((s) => (
            <option key={s} value={s}>
              {SUBTYPE_LABEL[s as keyof typeof SUBTYPE_LABEL] ?? s}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Label status
        <select value={filters.labelStatus ?? ""} onChange={(e) => change({ labelStatus: e.target.value || null })}>
          <option value="">Labelled or adjudicated</option>
          {(["LABELLED", "ADJUDICATED"] as LabelStatus[]).map((s) => (
            <option key={s} value={s}>
              {LABEL_STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
