"use client";

import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

/** Keeps one broken widget from blanking the console: it shows its own error and a retry. */
export class PaneBoundary extends Component<{ name: string; children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error) {
    console.error(`[vigil] the ${this.props.name} pane failed:`, error);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="rounded-lg border border-red-500/40 bg-red-950/30 p-4 text-sm text-red-200">
        <p>The {this.props.name} pane failed to render: {this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })} className="mt-2 rounded border border-red-400/50 px-3 py-1 hover:bg-red-900/40">
          Try again
        </button>
      </div>
    );
  }
}
