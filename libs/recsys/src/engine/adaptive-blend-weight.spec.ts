import { AdaptiveBlendWeight } from './adaptive-blend-weight';

const options = { initial: 4, min: 1, max: 16, step: Math.log(2), maxPendingUsers: 10 };
// The blend answered [1, 3]: 2 was the model's alone, 4 the transitions' alone, both lost.
const transitionOnly = { blendedTop: [1, 3], modelTop: [1, 2], transitionTop: [3, 4] };

describe('AdaptiveBlendWeight', () => {
  it('moves towards the component that alone had a next item the blend missed', () => {
    const blend = new AdaptiveBlendWeight(options);
    blend.rememberAnswer('u', transitionOnly);
    blend.observeNext('u', 4);
    expect(blend.weight).toBeCloseTo(8, 6);
    blend.rememberAnswer('u', transitionOnly);
    blend.observeNext('u', 2);
    blend.rememberAnswer('u', transitionOnly);
    blend.observeNext('u', 2);
    expect(blend.weight).toBeCloseTo(2, 6);
  });

  it('learns nothing from answers the blend got right', () => {
    const blend = new AdaptiveBlendWeight(options);
    blend.rememberAnswer('u', transitionOnly);
    blend.observeNext('u', 3);
    expect(blend.weight).toBeCloseTo(4, 6);
  });

  it('learns nothing when both or neither had it, and counts each answer once', () => {
    const blend = new AdaptiveBlendWeight(options);
    blend.rememberAnswer('u', { blendedTop: [1], modelTop: [1, 3], transitionTop: [3] });
    blend.observeNext('u', 3);
    blend.rememberAnswer('u', transitionOnly);
    blend.observeNext('u', 9);
    blend.observeNext('u', 4);
    expect(blend.weight).toBeCloseTo(4, 6);
  });

  it('stays within its bounds', () => {
    const blend = new AdaptiveBlendWeight(options);
    for (let i = 0; i < 10; i++) {
      blend.rememberAnswer('u', transitionOnly);
      blend.observeNext('u', 4);
    }
    expect(blend.weight).toBeCloseTo(16, 6);
    for (let i = 0; i < 10; i++) {
      blend.rememberAnswer('u', transitionOnly);
      blend.observeNext('u', 2);
    }
    expect(blend.weight).toBeCloseTo(1, 6);
  });

  it('forgets the answers of the least recently asked users beyond its bound', () => {
    const blend = new AdaptiveBlendWeight({ ...options, maxPendingUsers: 1 });
    blend.rememberAnswer('old', transitionOnly);
    blend.rememberAnswer('new', transitionOnly);
    blend.observeNext('old', 4);
    expect(blend.weight).toBeCloseTo(4, 6);
    blend.observeNext('new', 4);
    expect(blend.weight).toBeCloseTo(8, 6);
  });

  it('rejects an initial weight outside the bounds', () => {
    expect(() => new AdaptiveBlendWeight({ ...options, initial: 32 })).toThrow(/min <= initial/);
  });
});
