import { describe, expect, it } from "vitest";

import { checkMetricsAccess, isLoopbackAddress } from "./metrics-access";

const TOKEN = "a-long-metrics-token-0123456789";

describe("isLoopbackAddress", () => {
  it.each(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])("%s is loopback", (address) => expect(isLoopbackAddress(address)).toBe(true));
  it.each(["10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "fe80::1", "", undefined, "127.0.0.1.evil"])("%s is not", (address) => expect(isLoopbackAddress(address)).toBe(false));
});

describe("checkMetricsAccess", () => {
  it("without METRICS_TOKEN: loopback only", () => {
    expect(checkMetricsAccess({ remoteAddress: "127.0.0.1", headers: {}, token: undefined })).toEqual({ ok: true });
    expect(checkMetricsAccess({ remoteAddress: "10.1.2.3", headers: {}, token: undefined })).toMatchObject({ ok: false, status: 403 });
  });

  it("without METRICS_TOKEN: a proxied request from loopback is refused", () => {
    for (const header of ["x-forwarded-for", "forwarded", "x-real-ip"]) {
      expect(checkMetricsAccess({ remoteAddress: "127.0.0.1", headers: { [header]: "203.0.113.9" }, token: undefined })).toMatchObject({ ok: false, status: 403 });
    }
  });

  it("with METRICS_TOKEN: the bearer token is required, from loopback too", () => {
    expect(checkMetricsAccess({ remoteAddress: "127.0.0.1", headers: {}, token: TOKEN })).toMatchObject({ ok: false, status: 401 });
    expect(checkMetricsAccess({ remoteAddress: "127.0.0.1", headers: { authorization: "Bearer wrong" }, token: TOKEN })).toMatchObject({ ok: false, status: 401 });
    expect(checkMetricsAccess({ remoteAddress: "127.0.0.1", headers: { authorization: `Basic ${TOKEN}` }, token: TOKEN })).toMatchObject({ ok: false, status: 401 });
    expect(checkMetricsAccess({ remoteAddress: "10.1.2.3", headers: { authorization: `Bearer ${TOKEN}` }, token: TOKEN })).toEqual({ ok: true });
    expect(checkMetricsAccess({ remoteAddress: "10.1.2.3", headers: { authorization: `bearer ${TOKEN}`, "x-forwarded-for": "1.2.3.4" }, token: TOKEN })).toEqual({ ok: true });
  });
});
