/** `/listen/#<token>`: the public page of a share link (no account). The token stays in
 * the fragment, so it is read on the client and never sent in a URL. */
import type { Metadata } from "next";

import { ListenPage } from "@/features/share/ListenPage";

export const metadata: Metadata = { title: "Shared song · AriaForge",
                                    referrer: "no-referrer", robots: { index: false } };

export default function Listen() {
  return <ListenPage />;
}
