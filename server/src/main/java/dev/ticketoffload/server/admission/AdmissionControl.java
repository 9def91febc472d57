package dev.ticketoffload.server.admission;

/**
 * Bounds the items in flight (admitted, not yet answered) across all calls, without queueing: a
 * batch is admitted whole or refused at once, so the caller can answer {@code RESOURCE_EXHAUSTED}
 * with a retry pushback instead of letting work pile up.
 *
 * <p>Opens may use the whole capacity. Seals are admitted only while the total in flight stays
 * within the seal ceiling (a share of the capacity), so when the two compete, seals are shed first
 * and opens keep the rest: during a storm the service spends itself on resumptions.
 */
public final class AdmissionControl {

  private final long capacityItems;
  private final long sealCeilingItems;
  private long inFlightItems;
  private long inFlightSealItems;
  private long shedOpens;
  private long shedSeals;

  /**
   * @param capacityItems the most items in flight at once
   * @param sealShare the fraction of {@code capacityItems} up to which seals are still admitted,
   *     in (0, 1]
   */
  public AdmissionControl(long capacityItems, double sealShare) {
    if (capacityItems < 1) {
      throw new IllegalArgumentException("max work in flight must be at least 1 item, got " + capacityItems);
    }
    if (!(sealShare > 0 && sealShare <= 1)) {
      throw new IllegalArgumentException("seal share must be in (0, 1], got " + sealShare);
    }
    this.capacityItems = capacityItems;
    this.sealCeilingItems = Math.max(1, (long) (capacityItems * sealShare));
  }

  /**
   * Admits {@code items} of {@code kind} work, or refuses at once.
   *
   * @return a permit to close when the work is answered, or {@code null} when refused
   */
  public synchronized Permit tryAdmit(WorkKind kind, int items) {
    long ceiling = kind == WorkKind.OPEN ? capacityItems : sealCeilingItems;
    // A batch larger than the ceiling is still admitted alone, so no valid request waits forever.
    boolean fits = inFlightItems + items <= ceiling || inFlightItems == 0;
    if (!fits) {
      if (kind == WorkKind.OPEN) {
        shedOpens++;
      } else {
        shedSeals++;
      }
      return null;
    }
    inFlightItems += items;
    if (kind == WorkKind.SEAL) {
      inFlightSealItems += items;
    }
    return new Permit(this, kind, items);
  }

  synchronized void release(WorkKind kind, int items) {
    inFlightItems -= items;
    if (kind == WorkKind.SEAL) {
      inFlightSealItems -= items;
    }
  }

  public long capacityItems() {
    return capacityItems;
  }

  public long sealCeilingItems() {
    return sealCeilingItems;
  }

  public synchronized long inFlightItems() {
    return inFlightItems;
  }

  public synchronized long inFlightSealItems() {
    return inFlightSealItems;
  }

  public synchronized long shed(WorkKind kind) {
    return kind == WorkKind.OPEN ? shedOpens : shedSeals;
  }
}
