import { clsx } from "clsx";

const SIZES = {
  sm: "h-7 w-7 text-[11px]",
  md: "h-10 w-10 text-sm",
  lg: "h-14 w-14 text-lg",
} as const;

// Used when a color is missing or not one we can trust in a style attribute.
const FALLBACK_COLORS = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#dc2626", "#db2777", "#7c3aed", "#475569"];
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export function initialsOf(name: string): string {
  const letters = name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => Array.from(part)[0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return value;
}

function toSixDigits(hex: string): string {
  return hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex;
}

/** Dark text on light backgrounds, white on dark ones (WCAG relative luminance). */
function textColorFor(hex: string): string {
  const full = toSixDigits(hex);
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(full.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? "#0f172a" : "#ffffff";
}

type AvatarProps = {
  name: string;
  /** A hex color such as a user's `avatarColor`; anything else falls back to a color derived from the name. */
  color?: string | null;
  size?: keyof typeof SIZES;
  /** Square-ish for groups, round for people. */
  shape?: "circle" | "rounded";
  className?: string;
};

/** Initials on a color. Decorative: the name is always shown (or labelled) next to it. */
export function Avatar({ name, color, size = "md", shape = "circle", className }: AvatarProps) {
  const background = color && HEX_COLOR.test(color) ? color : FALLBACK_COLORS[hash(name) % FALLBACK_COLORS.length]!;
  return (
    <span
      aria-hidden="true"
      className={clsx(
        "inline-flex shrink-0 select-none items-center justify-center font-semibold",
        shape === "circle" ? "rounded-full" : "rounded-xl",
        SIZES[size],
        className,
      )}
      style={{ backgroundColor: background, color: textColorFor(background) }}
    >
      {initialsOf(name)}
    </span>
  );
}
