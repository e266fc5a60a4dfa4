import assert from 'node:assert/strict';
import { Disposable } from '../../../src/vscode/disposable';

/** A host that owns whatever the test hands it, as the panel, views and status bar own theirs. */
class Owner extends Disposable {
  own<T extends { dispose(): void }>(value: T): T {
    return this.register(value);
  }

  get gone(): boolean {
    return this.isDisposed;
  }
}

describe('the Disposable base of the VS Code hosts', () => {
  it('releases everything it registered, newest first', () => {
    const released: string[] = [];
    const owner = new Owner();
    for (const name of ['emitter', 'listener', 'item']) owner.own({ dispose: () => released.push(name) });
    owner.dispose();
    assert.deepEqual(released, ['item', 'listener', 'emitter']);
    assert.equal(owner.gone, true);
  });

  it('releases once: a second dispose (a panel closed by the user, then by deactivation) does nothing', () => {
    let count = 0;
    const owner = new Owner();
    owner.own({ dispose: () => count++ });
    owner.dispose();
    owner.dispose();
    assert.equal(count, 1);
  });

  it('disposes at once what is registered after it is gone, instead of keeping it forever', () => {
    let count = 0;
    const owner = new Owner();
    owner.dispose();
    owner.own({ dispose: () => count++ });
    assert.equal(count, 1);
  });

  it('releases the rest when one throws, then reports the failure', () => {
    const released: string[] = [];
    const owner = new Owner();
    owner.own({ dispose: () => released.push('first') });
    owner.own({
      dispose: () => {
        throw new Error('broken');
      },
    });
    owner.own({ dispose: () => released.push('last') });
    assert.throws(() => owner.dispose(), /broken/);
    assert.deepEqual(released, ['last', 'first']);
  });

  it('reports every failure when several throw', () => {
    const owner = new Owner();
    owner.own({
      dispose: () => {
        throw new Error('one');
      },
    });
    owner.own({
      dispose: () => {
        throw new Error('two');
      },
    });
    assert.throws(
      () => owner.dispose(),
      (err: unknown) => err instanceof AggregateError && err.errors.map((e: Error) => e.message).join() === 'two,one',
    );
  });
});
