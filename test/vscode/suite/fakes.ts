import * as vscode from 'vscode';

/** An event whose live subscriptions are counted: what a host leaves subscribed after it is disposed. */
export class CountedEvent<T> {
  private readonly emitter = new vscode.EventEmitter<T>();
  live = 0;

  readonly event: vscode.Event<T> = (listener, thisArgs, disposables) => {
    const subscription = this.emitter.event(listener, thisArgs, disposables);
    this.live++;
    let disposed = false;
    return new vscode.Disposable(() => {
      if (disposed) return;
      disposed = true;
      this.live--;
      subscription.dispose();
    });
  };

  fire(value: T): void {
    this.emitter.fire(value);
  }
}

/**
 * A sidebar webview view without the workbench: it records what the host posts, lets the test
 * send messages as the webview would, and counts the host's listeners on it.
 */
export class FakeWebviewView {
  readonly posted: unknown[] = [];
  readonly fromWebview = new CountedEvent<unknown>();
  readonly closed = new CountedEvent<void>();
  readonly view: vscode.WebviewView;

  constructor() {
    const webview: Partial<vscode.Webview> = {
      options: {},
      html: '',
      cspSource: 'https://fake.webview',
      asWebviewUri: (uri) => uri,
      postMessage: async (message: unknown) => {
        this.posted.push(message);
        return true;
      },
      onDidReceiveMessage: this.fromWebview.event,
    };
    const view: Partial<vscode.WebviewView> = { webview: webview as vscode.Webview, visible: true, onDidDispose: this.closed.event };
    this.view = view as vscode.WebviewView;
  }

  get listeners(): number {
    return this.fromWebview.live + this.closed.live;
  }
}
