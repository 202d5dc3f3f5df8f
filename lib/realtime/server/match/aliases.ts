/**
 * Aliases for the two sides of a match ("Amber Fox"): fresh for every match and side, drawn with
 * crypto randomness so one match's alias says nothing about the account or about another match.
 * 40 × 40 = 1,600 combinations: enough that two people rarely meet the same name twice; the two
 * sides of one match always differ.
 */
import { randomInt } from "node:crypto";

export const ALIAS_ADJECTIVES = [
  "Amber", "Azure", "Brave", "Bright", "Calm", "Clever", "Coral", "Cosmic", "Curious", "Dusky",
  "Gentle", "Golden", "Happy", "Hidden", "Indigo", "Jolly", "Kind", "Lively", "Lucky", "Lunar",
  "Mellow", "Misty", "Noble", "Olive", "Quiet", "Rapid", "Rosy", "Rustic", "Silver", "Sleepy",
  "Snowy", "Solar", "Sunny", "Swift", "Teal", "Velvet", "Violet", "Wild", "Witty", "Zesty",
] as const;

export const ALIAS_ANIMALS = [
  "Badger", "Bear", "Beaver", "Bison", "Crane", "Deer", "Dolphin", "Eagle", "Falcon", "Ferret",
  "Finch", "Fox", "Gecko", "Heron", "Hedgehog", "Ibis", "Koala", "Lemur", "Lynx", "Marten",
  "Moose", "Newt", "Otter", "Owl", "Panda", "Penguin", "Puffin", "Quail", "Rabbit", "Raven",
  "Robin", "Seal", "Sparrow", "Squirrel", "Swan", "Tiger", "Toucan", "Turtle", "Walrus", "Wolf",
] as const;

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

export function randomAlias(): string {
  return `${pick(ALIAS_ADJECTIVES)} ${pick(ALIAS_ANIMALS)}`;
}

/** Two different aliases, one per side. */
export function aliasPair(draw: () => string = randomAlias): [string, string] {
  const first = draw();
  let second = draw();
  while (second === first) second = draw();
  return [first, second];
}
