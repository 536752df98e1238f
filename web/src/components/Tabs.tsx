// ARIA tabs (WAI-ARIA Authoring Practices): arrow keys, Home and End move between tabs.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface Tab { key: string; label: string; content: () => ReactNode }

export function Tabs({ tabs, selected, onSelect, label }: { tabs: Tab[]; selected: string; onSelect: (key: string) => void; label: string }) {
  const base = useId();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const index = Math.max(0, tabs.findIndex((t) => t.key === selected));
  const move = (to: number) => {
    const i = (to + tabs.length) % tabs.length;
    onSelect(tabs[i]!.key);
    refs.current[i]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') move(index + 1);
    else if (e.key === 'ArrowLeft') move(index - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(tabs.length - 1);
    else return;
    e.preventDefault();
  };
  const current = tabs[index]!;
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label}>
        {tabs.map((t, i) => (
          <button
            key={t.key} ref={(el) => { refs.current[i] = el; }} type="button" role="tab" id={`${base}-tab-${t.key}`}
            aria-selected={i === index} aria-controls={i === index ? `${base}-panel-${t.key}` : undefined} tabIndex={i === index ? 0 : -1}
            onClick={() => onSelect(t.key)} onKeyDown={onKey}
          >{t.label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel-${current.key}`} aria-labelledby={`${base}-tab-${current.key}`} tabIndex={0} className="panel">
        {current.content()}
      </div>
    </div>
  );
}
