"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { useIsHydrated } from "@/hooks/use-is-hydrated";
import { TextField } from "@/components/ui/text-field";
import { fieldErrors, signInInputSchema } from "@/lib/validations/auth";
import { signInWithCredentials } from "./use-credentials-sign-in";

export function SignInForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [isPending, setIsPending] = useState(false);
  // Before hydration a click would submit natively; keep the button disabled until our handler is attached.
  const isHydrated = useIsHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInInputSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setIsPending(true);
    const error = await signInWithCredentials(parsed.data.email, parsed.data.password);
    if (error) {
      setErrors({ form: error });
      setIsPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Sign in">
      <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} />
      {errors.form ? (
        <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {errors.form}
        </p>
      ) : null}
      <Button type="submit" disabled={!isHydrated || isPending}>
        {isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
