import type { ReactNode } from "react";
import "./globals.css";

// The page's icon, title and embeds come from the app's definition (castcard.metadata in page.tsx).
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
