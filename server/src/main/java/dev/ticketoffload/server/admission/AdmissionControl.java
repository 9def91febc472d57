package dev.ticketoffload.server.admission;

/**
 * Bounds the items in flight (admitted, not yet answered) across all calls, without queueing: a
 * batch is admitted whole or refused at once, so the caller can answer {@code RESOURCE_EXHAUSTED}
 * with a retry pushback instead of letting work pile up.
 *
 * <p>Opens may use the whole capacity. Seals are admitted only while the total in flight stays
 * within the seal ceiling (a share of the capacity), so when the two compete, seals are shed first
 * and opens keep the rest: during a storm the service spends itself on resumptions.
 *
 * <p>An item is in flight from admission until its answer has left for the client, not merely until
 * it was computed: answers a client does not read stay counted, so they cannot pile up unseen. Each
 * connection may hold at most its own share ({@link ConnectionLoad}), so one client that stops
 * reading cannot take the whole capacity from the others.
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
  public Permit tryAdmit(WorkKind kind, int items) {
    return tryAdmit(kind, items, null, Long.MAX_VALUE);
  }

  /**
   * As {@link #tryAdmit(WorkKind, int)}, and within {@code connection}'s share of at most
   * {@code connectionCapacityItems} (a batch larger than that is admitted alone on its connection).
   */
  public synchronized Permit tryAdmit(WorkKind kind, int items, ConnectionLoad connection, long connectionCapacityItems) {
    long ceiling = kind == WorkKind.OPEN ? capacityItems : sealCeilingItems;
    // A batch larger than the ceiling is still admitted alone, so no valid request waits forever.
    boolean fits = (inFlightItems + items <= ceiling || inFlightItems == 0)
        && (connection == null || connectionFits(connection, items, connectionCapacityItems));
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
    if (connection != null) {
      connection.inFlightItems += items;
    }
    return new Permit(this, kind, items, connection);
  }

  private static boolean connectionFits(ConnectionLoad connection, int items, long capacityItems) {
    return connection.inFlightItems + items <= capacityItems || connection.inFlightItems == 0;
  }

  /**
   * Whether only {@code connection}'s share, not the total, would refuse {@code items} of {@code kind}
   * now (to say why a batch was shed).
   */
  public synchronized boolean connectionFull(WorkKind kind, int items, ConnectionLoad connection,
      long connectionCapacityItems) {
    long ceiling = kind == WorkKind.OPEN ? capacityItems : sealCeilingItems;
    boolean totalFits = inFlightItems + items <= ceiling || inFlightItems == 0;
    return totalFits && connection != null && !connectionFits(connection, items, connectionCapacityItems);
  }

  synchronized void release(WorkKind kind, int items, ConnectionLoad connection) {
    if (connection != null) {
      connection.inFlightItems -= items;
    }
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
