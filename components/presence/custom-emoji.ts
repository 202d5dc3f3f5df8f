// The server's own schema decides; only the custom status dialog (loaded on demand) pulls zod in.
// eslint-disable-next-line no-restricted-imports
import { presenceSetStatusInputSchema } from "@/lib/realtime/protocol";

/** The field's error, or undefined when it is empty or starts with an emoji (the server's own rule). */
export function emojiError(emoji: string): string | undefined {
  const trimmed = emoji.trim();
  if (!trimmed) return undefined;
  return presenceSetStatusInputSchema.shape.customEmoji.safeParse(trimmed).success ? undefined : "Start with an emoji, such as 🌴.";
}
