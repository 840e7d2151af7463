/** Paths of the benchmark baseline's entries; findings reuse them to be known. */
export const benchPath = (i: number) => `/etc/NetworkManager/dispatcher.d/host-script-${i}`;
