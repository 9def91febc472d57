// Written by hand in the exact shape jextract 22 generates for jextract-command.txt (no jextract on the
// build machines). Change it only as regenerating with that command would; nothing here refers to
// dev.ticketoffload.openssl.

package dev.ticketoffload.openssl.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ossl_dispatch_st {
 *     int function_id;
 *     void (*function)(void);
 * }
 * }
 */
@SuppressWarnings("restricted") // see jextract-command.txt
public final class ossl_dispatch_st {

    private ossl_dispatch_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        libcrypto_h.C_INT.withName("function_id"),
        MemoryLayout.paddingLayout(4),
        libcrypto_h.C_POINTER.withName("function")
    ).withName("ossl_dispatch_st");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt function_id$LAYOUT = (OfInt)$LAYOUT.select(groupElement("function_id"));

    private static final long function_id$OFFSET = 0;

    /**
     * Offset for field: function_id
     */
    public static final long function_id$offset() {
        return function_id$OFFSET;
    }

    /**
     * Getter for field: function_id
     */
    public static int function_id(MemorySegment struct) {
        return struct.get(function_id$LAYOUT, function_id$OFFSET);
    }

    /**
     * Setter for field: function_id
     */
    public static void function_id(MemorySegment struct, int fieldValue) {
        struct.set(function_id$LAYOUT, function_id$OFFSET, fieldValue);
    }

    private static final AddressLayout function$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("function"));

    private static final long function$OFFSET = 8;

    /**
     * Offset for field: function
     */
    public static final long function$offset() {
        return function$OFFSET;
    }

    /**
     * Getter for field: function
     */
    public static MemorySegment function(MemorySegment struct) {
        return struct.get(function$LAYOUT, function$OFFSET);
    }

    /**
     * Setter for field: function
     */
    public static void function(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(function$LAYOUT, function$OFFSET, fieldValue);
    }

    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} as an array of {@code elementCount} structs
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount) {
        return addr.reinterpret(layout().byteSize() * elementCount);
    }
}
