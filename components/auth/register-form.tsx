"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { useIsHydrated } from "@/hooks/use-is-hydrated";
import { TextField } from "@/components/ui/text-field";
import { fieldErrors, PASSWORD_MIN_LENGTH, registerInputSchema } from "@/lib/validations/auth";
import { signInWithCredentials } from "./use-credentials-sign-in";

type RegisterResponse = { error?: { code: string; message: string; fields?: Record<string, string> } };

export function RegisterForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [isPending, setIsPending] = useState(false);
  // Before hydration a click would submit natively; keep the button disabled until our handler is attached.
  const isHydrated = useIsHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = registerInputSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setIsPending(true);
    try {
      const response = await fetch("/api/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as RegisterResponse;
        setErrors(body.error?.fields ?? { form: body.error?.message ?? "Registration failed. Try again." });
        setIsPending(false);
        return;
      }
      const error = await signInWithCredentials(parsed.data.email, parsed.data.password);
      if (error) {
        setErrors({ form: error });
        setIsPending(false);
      }
    } catch {
      setErrors({ form: "Could not reach the server. Check your connection and try again." });
      setIsPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Create an account">
      <TextField label="Name" name="name" autoComplete="name" error={errors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
      <TextField
        label={`Password (at least ${PASSWORD_MIN_LENGTH} characters)`}
        name="password"
        type="password"
        autoComplete="new-password"
        error={errors.password}
      />
      {errors.form ? (
        <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {errors.form}
        </p>
      ) : null}
      <Button type="submit" disabled={!isHydrated || isPending}>
        {isPending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
