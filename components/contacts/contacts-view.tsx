"use client";

import { useId, type ReactNode } from "react";
import { useShallow } from "zustand/react/shallow";

import { useContactsStore } from "@/lib/stores/contacts-store";
import { ContactActions } from "./contact-actions";
import { PeopleSearch } from "./people-search";
import { PersonRow } from "./person-row";
import { useContactActions } from "./use-contact-actions";

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <h2 id={headingId} className="flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {title}
        {count ? (
          <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold normal-case tracking-normal text-slate-700 dark:bg-slate-800 dark:text-slate-300">
            {count}
          </span>
        ) : null}
      </h2>
      {children}
    </section>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">{children}</p>;
}

const listClass = "divide-y divide-slate-200 dark:divide-slate-800";

/** The contacts page: search, pending requests both ways, contacts and blocked people, all live from the store. */
export function ContactsView() {
  const actions = useContactActions();
  const { contacts, incoming, outgoing, blocked, isLoaded } = useContactsStore(
    useShallow((state) => ({ contacts: state.contacts, incoming: state.incoming, outgoing: state.outgoing, blocked: state.blocked, isLoaded: state.isLoaded })),
  );

  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-8 px-4 py-6 sm:px-6">
      <h1 className="text-xl font-semibold">Contacts</h1>
      <PeopleSearch actions={actions} />

      {!isLoaded ? (
        <p role="status" className="text-sm text-slate-500">
          Loading contacts…
        </p>
      ) : (
        <>
          <Section title="Requests" count={incoming.length + outgoing.length}>
            {incoming.length === 0 && outgoing.length === 0 ? <Empty>No pending requests.</Empty> : null}
            {incoming.length > 0 ? (
              <>
                <h3 className="text-xs font-medium text-slate-500 dark:text-slate-400">Received</h3>
                <ul aria-label="Received requests" className={listClass}>
                  {incoming.map((request) => (
                    <PersonRow
                      key={request.id}
                      user={request.from}
                      status="Wants to add you"
                      actions={(describedBy) => (
                        <ContactActions user={request.from} info={{ relation: "incoming", request }} actions={actions} describedBy={describedBy} variant="focused" />
                      )}
                    />
                  ))}
                </ul>
              </>
            ) : null}
            {outgoing.length > 0 ? (
              <>
                <h3 className="text-xs font-medium text-slate-500 dark:text-slate-400">Sent</h3>
                <ul aria-label="Sent requests" className={listClass}>
                  {outgoing.map((request) => (
                    <PersonRow
                      key={request.id}
                      user={request.to}
                      status="Waiting for an answer"
                      actions={(describedBy) => (
                        <ContactActions user={request.to} info={{ relation: "outgoing", request }} actions={actions} describedBy={describedBy} variant="focused" />
                      )}
                    />
                  ))}
                </ul>
              </>
            ) : null}
          </Section>

          <Section title="Your contacts" count={contacts.length}>
            {contacts.length === 0 ? (
              <Empty>No contacts yet. Find people above and send them a request.</Empty>
            ) : (
              <ul aria-label="Contacts" className={listClass}>
                {contacts.map((user) => (
                  <PersonRow
                    key={user.id}
                    user={user}
                    showsPresence
                    actions={(describedBy) => (
                      <ContactActions user={user} info={{ relation: "contact", request: null }} actions={actions} describedBy={describedBy} variant="focused" />
                    )}
                  />
                ))}
              </ul>
            )}
          </Section>

          <Section title="Blocked" count={blocked.length}>
            {blocked.length === 0 ? (
              <Empty>You have not blocked anyone.</Empty>
            ) : (
              <ul aria-label="Blocked people" className={listClass}>
                {blocked.map((user) => (
                  <PersonRow
                    key={user.id}
                    user={user}
                    status="Blocked"
                    actions={(describedBy) => (
                      <ContactActions user={user} info={{ relation: "blocked", request: null }} actions={actions} describedBy={describedBy} variant="focused" />
                    )}
                  />
                ))}
              </ul>
            )}
          </Section>
        </>
      )}
    </div>
  );
}
