"use client";

import { useEffect, useState } from "react";

/** False during SSR and until React has attached handlers: forms keep submit disabled until then. */
export function useIsHydrated(): boolean {
  const [isHydrated, setIsHydrated] = useState(false);
  useEffect(() => setIsHydrated(true), []);
  return isHydrated;
}
