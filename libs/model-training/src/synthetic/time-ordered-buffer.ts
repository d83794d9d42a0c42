/**
 * A min-heap of events by timestamp (ties by insertion order). Sessions of different users
 * overlap in time; buffering them here lets the generator emit one globally time-ordered stream.
 */
export class TimeOrderedBuffer<T extends { timestamp: number }> {
  private readonly heap: { value: T; order: number }[] = [];
  private insertions = 0;

  get size(): number {
    return this.heap.length;
  }

  push(value: T): void {
    const heap = this.heap;
    heap.push({ value, order: this.insertions++ });
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(child, parent)) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  /** Removes and yields every buffered value with timestamp < `before`, earliest first. */
  *drainBefore(before: number): Generator<T> {
    while (this.heap.length > 0 && (this.heap[0]?.value.timestamp ?? Infinity) < before) {
      yield this.pop();
    }
  }

  private pop(): T {
    const heap = this.heap;
    const top = heap[0] as { value: T };
    const last = heap.pop() as { value: T; order: number };
    if (heap.length > 0) {
      heap[0] = last;
      let parent = 0;
      for (;;) {
        const left = parent * 2 + 1;
        const right = left + 1;
        let smallest = parent;
        if (left < heap.length && this.before(left, smallest)) smallest = left;
        if (right < heap.length && this.before(right, smallest)) smallest = right;
        if (smallest === parent) break;
        this.swap(parent, smallest);
        parent = smallest;
      }
    }
    return top.value;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    if (x === undefined || y === undefined) return false;
    return (
      x.value.timestamp < y.value.timestamp ||
      (x.value.timestamp === y.value.timestamp && x.order < y.order)
    );
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const swap = heap[a] as { value: T; order: number };
    heap[a] = heap[b] as { value: T; order: number };
    heap[b] = swap;
  }
}
