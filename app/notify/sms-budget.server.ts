/** Placeholder: replaced below. */
export async function smsBudgetReached(estateId: string): Promise<void> {
  void estateId;
}
