"use client";

export function SignOutButton() {
  const signOut = async () => {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    window.location.assign("/sign-in");
  };
  return (
    <button type="button" onClick={signOut} className="rounded border border-slate-700 px-3 py-1.5 text-slate-300 hover:bg-slate-800">
      Sign out
    </button>
  );
}
