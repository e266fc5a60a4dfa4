import type * as vscode from 'vscode';

/**
 * Something that owns listeners, emitters, status-bar items or panels and must release them all
 * when it goes. Subclasses `register` what they create; `dispose` releases it once, newest first
 * (a listener goes before the emitter it listens to), and keeps going when one of them throws, so
 * one faulty release cannot leak the rest. Only types come from `vscode`: plain Node tests it.
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Keeps `value` until this is disposed; something registered after that is disposed at once. */
  protected register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (let value = this.owned.pop(); value; value = this.owned.pop()) {
      try {
        value.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
  }
}
