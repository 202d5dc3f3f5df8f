/** zod schemas for the sign-in and register forms, shared by the pages and the routes. */
import { z } from "zod";

import { text } from "@/lib/realtime/text-schema";

export const PASSWORD_MIN_LENGTH = 8;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform((email) => email.toLowerCase());

export const registerInputSchema = z
  .object({
    name: text({ error: "Enter your name." }).trim().min(1, "Enter your name.").max(60, "Keep your name under 60 characters."),
    email: emailSchema,
    password: z
      .string({ error: "Choose a password." })
      .min(1, "Choose a password.")
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(200, "Keep your password under 200 characters."),
  })
  .strict();
export type RegisterInput = z.infer<typeof registerInputSchema>;

export const signInInputSchema = z.object({
  email: emailSchema,
  password: text({ error: "Enter your password." }).min(1, "Enter your password.").max(200),
});
export type SignInInput = z.infer<typeof signInInputSchema>;

/** Field → first message, for inline form errors. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const result: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    result[key] ??= issue.message;
  }
  return result;
}
