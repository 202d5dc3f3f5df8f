"use client";

import { signIn } from "next-auth/react";

import { announceAuthChange } from "@/lib/realtime/client/auth-channel";

const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  RATE_LIMITED: "Too many attempts. Wait a minute and try again.",
};

/** Signs in with next-auth without its redirects; returns a user-facing error or navigates into the app. */
export async function signInWithCredentials(email: string, password: string): Promise<string | null> {
  const result = await signIn("credentials", { email, password, redirect: false });
  if (!result || result.error) {
    return SIGN_IN_ERRORS[result?.error ?? ""] ?? "Sign-in failed. Try again.";
  }
  announceAuthChange("signed-in");
  const target = new URLSearchParams(window.location.search).get("callbackUrl");
  // Only same-site paths: never an open redirect.
  window.location.assign(target && target.startsWith("/") && !target.startsWith("//") ? target : "/");
  return null;
}
