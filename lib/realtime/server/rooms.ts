/** Room names are built only here. `to([])` reaches every socket: callers check for empty lists. */
export const userRoom = (userId: string): string => `user:${userId}`;
/** One browser session (next-auth cookie): all its tabs, so sign-out can reach exactly them. */
export const sessionRoom = (sid: string): string => `session:${sid}`;
/** Every member's live sockets: message broadcasts, read pointers, typing. */
export const conversationRoom = (conversationId: string): string => `conversation:${conversationId}`;
