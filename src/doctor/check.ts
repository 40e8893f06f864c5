// One line of `sanctions-radar doctor`: what was checked, whether it holds, and how to fix it.
export interface DoctorCheck {
  check: string;
  ok: boolean;
  /** Holds, but worth a look (a check that could not be made, a clock a minute off). */
  warn?: boolean;
  detail: string;
  fix?: string;
}
