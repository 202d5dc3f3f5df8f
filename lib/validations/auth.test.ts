import { describe, expect, it } from "vitest";

import { fieldErrors, registerInputSchema, signInInputSchema } from "./auth";

const validRegister = { name: "Alice", email: "alice@example.com", password: "correct horse" };

function errorsOf(schema: typeof registerInputSchema | typeof signInInputSchema, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return fieldErrors(result.error!);
}

describe("registerInputSchema", () => {
  it("accepts a valid form, trims the name, trims and lowercases the email", () => {
    const parsed = registerInputSchema.parse({ name: "  Alice  ", email: "  Alice@Example.COM ", password: " spaces kept " });
    expect(parsed).toEqual({ name: "Alice", email: "alice@example.com", password: " spaces kept " });
  });

  it.each([
    ["name", { ...validRegister, name: "" }, "Enter your name."],
    ["name", { ...validRegister, name: "   " }, "Enter your name."],
    ["name", { ...validRegister, name: "n".repeat(61) }, "Keep your name under 60 characters."],
    ["email", { ...validRegister, email: "" }, "Enter your email address."],
    ["email", { ...validRegister, email: "   " }, "Enter your email address."],
    ["email", { ...validRegister, email: "alice@" }, "Enter a valid email address, like name@example.com."],
    ["email", { ...validRegister, email: "not-an-email" }, "Enter a valid email address, like name@example.com."],
    ["email", { ...validRegister, email: `${"a".repeat(250)}@example.com` }, "That email address is too long."],
    ["password", { ...validRegister, password: "" }, "Choose a password."],
    ["password", { ...validRegister, password: "1234567" }, "Use at least 8 characters."],
    ["password", { ...validRegister, password: "p".repeat(201) }, "Keep your password under 200 characters."],
  ])("%s: %j → message", (field, input, message) => {
    expect(errorsOf(registerInputSchema, input)[field]).toBe(message);
  });

  it("reports missing fields with the same user-facing messages", () => {
    expect(errorsOf(registerInputSchema, {})).toEqual({
      name: "Enter your name.",
      email: "Enter your email address.",
      password: "Choose a password.",
    });
  });

  it("reports each field once, with its first message", () => {
    const errors = errorsOf(registerInputSchema, { name: "", email: "bad", password: "" });
    expect(errors).toEqual({
      name: "Enter your name.",
      email: "Enter a valid email address, like name@example.com.",
      password: "Choose a password.",
    });
  });

  it("accepts exactly 8 characters of password", () => {
    expect(registerInputSchema.safeParse({ ...validRegister, password: "12345678" }).success).toBe(true);
  });

  it("rejects unknown fields (no mass assignment of role)", () => {
    const result = registerInputSchema.safeParse({ ...validRegister, role: "admin" });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]?.code).toBe("unrecognized_keys");
    expect(Object.keys(fieldErrors(result.error!))).toEqual(["form"]);
  });
});

describe("signInInputSchema", () => {
  it("trims and lowercases the email, leaves the password untouched", () => {
    expect(signInInputSchema.parse({ email: " BOB@Example.org ", password: " pw " })).toEqual({ email: "bob@example.org", password: " pw " });
  });

  it.each([
    ["email", { email: "", password: "x" }, "Enter your email address."],
    ["email", { email: "bob@@example.org", password: "x" }, "Enter a valid email address, like name@example.com."],
    ["password", { email: "bob@example.org", password: "" }, "Enter your password."],
    ["password", { email: "bob@example.org" }, "Enter your password."],
    ["email", { password: "x" }, "Enter your email address."],
  ])("%s: %j → message", (field, input, message) => {
    expect(errorsOf(signInInputSchema, input)[field]).toBe(message);
  });

  it("does not apply the registration minimum length on sign-in", () => {
    expect(signInInputSchema.safeParse({ email: "bob@example.org", password: "1" }).success).toBe(true);
  });
});
