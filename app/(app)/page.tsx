export default function HomePage() {
  return (
    <section className="flex h-full flex-col items-center justify-center gap-2 p-8 text-center" aria-labelledby="welcome-heading">
      <h1 id="welcome-heading" className="text-xl font-semibold">
        Welcome to Parley
      </h1>
      <p className="max-w-sm text-sm text-slate-600 dark:text-slate-400">
        Pick a conversation from the sidebar. When you have none yet, the people you talk with will show up there.
      </p>
    </section>
  );
}
