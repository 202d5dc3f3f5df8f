import { describe, expect, it } from "vitest";

import { EnvError, parseServerEnv as parseProcessEnv } from "./env";

// Test inputs are partial environments (Next's ProcessEnv type requires NODE_ENV).
type Vars = Record<string, string | undefined>;
const parseServerEnv = (source: Vars) => parseProcessEnv(source as NodeJS.ProcessEnv);

const SECRET = "s".repeat(32);

function expectEnvError(source: Vars, variable: string): EnvError {
  let caught: unknown;
  try {
    parseServerEnv(source);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EnvError);
  const envError = caught as EnvError;
  expect(envError.variables).toContain(variable);
  expect(envError.message).toContain(variable);
  return envError;
}

describe("parseServerEnv defaults", () => {
  it("fills defaults for an empty environment", () => {
    const env = parseServerEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("localhost");
    expect(env.NODE_ENV).toBe("development");
    expect(env.DATA_DIR).toBe("./data");
    expect(env.DATABASE_URL).toBe("file:./data/parley.db");
    expect(env.ALLOWED_ORIGINS).toBeUndefined();
    expect(env.AUTH_SECRET).toBeUndefined();
  });

  it("derives DATABASE_URL from DATA_DIR (trailing slash dropped)", () => {
    expect(parseServerEnv({ DATA_DIR: "/var/lib/parley" }).DATABASE_URL).toBe("file:/var/lib/parley/parley.db");
    expect(parseServerEnv({ DATA_DIR: "/var/lib/parley/" }).DATABASE_URL).toBe("file:/var/lib/parley/parley.db");
  });

  it("accepts a PostgreSQL DATABASE_URL (both schemes) as it is", () => {
    expect(parseServerEnv({ DATABASE_URL: "postgresql://parley:pw@db:5432/parley" }).DATABASE_URL).toBe("postgresql://parley:pw@db:5432/parley");
    expect(parseServerEnv({ DATABASE_URL: "postgres://db/parley?sslmode=require" }).DATABASE_URL).toBe("postgres://db/parley?sslmode=require");
  });

  it("keeps an explicit file: DATABASE_URL", () => {
    expect(parseServerEnv({ DATABASE_URL: "file:/tmp/other.db", DATA_DIR: "/x" }).DATABASE_URL).toBe("file:/tmp/other.db");
  });

  it("coerces numeric variables", () => {
    const env = parseServerEnv({ PORT: "8080", SOCKET_TOKEN_TTL_SECONDS: "60", MAX_SOCKETS_PER_USER: "5" });
    expect(env.PORT).toBe(8080);
    expect(env.SOCKET_TOKEN_TTL_SECONDS).toBe(60);
    expect(env.MAX_SOCKETS_PER_USER).toBe(5);
    expect(parseServerEnv({}).MAX_SOCKETS_PER_USER).toBe(20);
  });

  it("treats empty strings as unset", () => {
    const env = parseServerEnv({ PORT: "", DATA_DIR: "", DATABASE_URL: "", AUTH_SECRET: "", ALLOWED_ORIGINS: "", NODE_ENV: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("./data");
    expect(env.DATABASE_URL).toBe("file:./data/parley.db");
    expect(env.AUTH_SECRET).toBeUndefined();
    expect(env.ALLOWED_ORIGINS).toBeUndefined();
    expect(env.NODE_ENV).toBe("development");
  });
});

describe("parseServerEnv errors name the variable", () => {
  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "-1" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://user:pw@db/parley" }],
    ["DATABASE_URL", { DATABASE_URL: "./data/parley.db" }],
    ["AUTH_SECRET", { AUTH_SECRET: "too-short" }],
    ["NEXTAUTH_SECRET", { NEXTAUTH_SECRET: "s".repeat(31) }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
    ["MAX_SOCKETS_PER_USER", { MAX_SOCKETS_PER_USER: "0" }],
    ["MAX_SOCKETS_PER_USER", { MAX_SOCKETS_PER_USER: "many" }],
  ])("%s: %j", (variable, source) => {
    expectEnvError(source, variable);
  });

  it("names only the wrong variables, each once", () => {
    const error = expectEnvError({ PORT: "abc", AUTH_SECRET: "short", HOST: "example.com" }, "PORT");
    expect([...error.variables].sort()).toEqual(["AUTH_SECRET", "PORT"]);
    expect(error.name).toBe("EnvError");
  });

  it("accepts a 32-character AUTH_SECRET", () => {
    expect(parseServerEnv({ AUTH_SECRET: SECRET }).AUTH_SECRET).toBe(SECRET);
  });
});

describe("ALLOWED_ORIGINS", () => {
  it("splits, trims and normalizes to origins", () => {
    const env = parseServerEnv({ ALLOWED_ORIGINS: " https://Preview.Example.com/some/path , http://localhost:4000/,, https://a.example:443 " });
    expect(env.ALLOWED_ORIGINS).toEqual(["https://preview.example.com", "http://localhost:4000", "https://a.example"]);
  });

  it("rejects a value that is not a URL", () => {
    expectEnvError({ ALLOWED_ORIGINS: "https://ok.example,not a url" }, "ALLOWED_ORIGINS");
  });

  // Regression: these parse as URLs but have the opaque origin "null"; they used to be accepted
  // silently as ["null"], so the operator's intended origin was never allowed.
  it.each([["localhost:3000"], ["file:///srv/app"], ["javascript:alert(1)"], ["ftp://files.example"]])(
    "rejects %j, which has no http(s) origin",
    (value) => {
      expectEnvError({ ALLOWED_ORIGINS: value }, "ALLOWED_ORIGINS");
    },
  );
});

describe("ADMIN_EMAILS", () => {
  it("splits, trims and lowercases", () => {
    const env = parseServerEnv({ ADMIN_EMAILS: " Ops@Example.com ,, boss@example.org " });
    expect(env.ADMIN_EMAILS).toEqual(["ops@example.com", "boss@example.org"]);
  });

  it("rejects a value that is not an email", () => {
    expectEnvError({ ADMIN_EMAILS: "ops@example.com,nobody" }, "ADMIN_EMAILS");
  });
});
