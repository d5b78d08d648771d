export declare const CHROMIUM: string;
export declare function chromiumLaunchOptions(): { executablePath: string; headless: boolean; args: string[] };
export declare const PAINT_TIMINGS: string;
