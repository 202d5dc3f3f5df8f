"use client";

import { useId, type TextareaHTMLAttributes } from "react";

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & {
  label: string;
  /** Shown after the label in a lighter tone, e.g. "(optional)"; part of the field's name. */
  hint?: string;
};

/** A labelled multi-line input, styled like TextField. */
export function TextAreaField({ label, hint, ...props }: TextAreaFieldProps) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label} {hint ? <span className="font-normal text-slate-500 dark:text-slate-400">{hint}</span> : null}
      </label>
      <textarea
        id={id}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
        {...props}
      />
    </div>
  );
}
