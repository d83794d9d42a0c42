/** Interaction types a frontend may report, from weakest to strongest signal. */
export const EVENT_TYPES = [
  'view',
  'click',
  'add_to_cart',
  'purchase',
  'like',
  'dislike',
  'rating',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
