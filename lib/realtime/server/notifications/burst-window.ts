/** How long a conversation's messages gather before their notifications are stored (notifier.ts). Dependency-free: tests read it. */
/**
 * Messages of one conversation that arrive within this window are stored together: a busy group
 * costs one audience query, one statement and one emit per recipient per burst instead of per
 * message, and a burst still counts every message ("12 new messages"). At 1,000 users sending
 * 2,000 msgs/s a 250 ms window left notifications a third of the server's CPU (docs/PERFORMANCE.md);
 * a second is still prompt for someone who is not looking at the conversation.
 */
export const MESSAGE_BURST_MS = 1_000;
/**
 * ±50 %: conversations that got busy together (a broadcast, a meeting, a restart) would otherwise
 * stay in step and store their bursts all at once. With ±25 % the first bursts of 100 conversations
 * that started together still fell within half a second, a stall of every send meanwhile (the
 * 1,000-user run, docs/PERFORMANCE.md).
 */
export const burstWindow = () => MESSAGE_BURST_MS * (0.5 + Math.random());
/** The longest a message waits for its burst's notification (tests wait this long for quiet). */
export const MESSAGE_BURST_MAX_MS = MESSAGE_BURST_MS * 1.5;
