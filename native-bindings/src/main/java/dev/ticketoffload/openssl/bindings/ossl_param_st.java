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
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ossl_param_st {
 *     const char *key;
 *     unsigned int data_type;
 *     void *data;
 *     size_t data_size;
 *     size_t return_size;
 * }
 * }
 */
@SuppressWarnings("restricted") // see jextract-command.txt
public final class ossl_param_st {

    private ossl_param_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        libcrypto_h.C_POINTER.withName("key"),
        libcrypto_h.C_INT.withName("data_type"),
        MemoryLayout.paddingLayout(4),
        libcrypto_h.C_POINTER.withName("data"),
        libcrypto_h.C_SIZE_T.withName("data_size"),
        libcrypto_h.C_SIZE_T.withName("return_size")
    ).withName("ossl_param_st");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout key$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("key"));

    private static final long key$OFFSET = 0;

    /**
     * Offset for field: key
     */
    public static final long key$offset() {
        return key$OFFSET;
    }

    /**
     * Getter for field: key
     */
    public static MemorySegment key(MemorySegment struct) {
        return struct.get(key$LAYOUT, key$OFFSET);
    }

    /**
     * Setter for field: key
     */
    public static void key(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(key$LAYOUT, key$OFFSET, fieldValue);
    }

    private static final OfInt data_type$LAYOUT = (OfInt)$LAYOUT.select(groupElement("data_type"));

    private static final long data_type$OFFSET = 8;

    /**
     * Offset for field: data_type
     */
    public static final long data_type$offset() {
        return data_type$OFFSET;
    }

    /**
     * Getter for field: data_type
     */
    public static int data_type(MemorySegment struct) {
        return struct.get(data_type$LAYOUT, data_type$OFFSET);
    }

    /**
     * Setter for field: data_type
     */
    public static void data_type(MemorySegment struct, int fieldValue) {
        struct.set(data_type$LAYOUT, data_type$OFFSET, fieldValue);
    }

    private static final AddressLayout data$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("data"));

    private static final long data$OFFSET = 16;

    /**
     * Offset for field: data
     */
    public static final long data$offset() {
        return data$OFFSET;
    }

    /**
     * Getter for field: data
     */
    public static MemorySegment data(MemorySegment struct) {
        return struct.get(data$LAYOUT, data$OFFSET);
    }

    /**
     * Setter for field: data
     */
    public static void data(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(data$LAYOUT, data$OFFSET, fieldValue);
    }

    private static final OfLong data_size$LAYOUT = (OfLong)$LAYOUT.select(groupElement("data_size"));

    private static final long data_size$OFFSET = 24;

    /**
     * Offset for field: data_size
     */
    public static final long data_size$offset() {
        return data_size$OFFSET;
    }

    /**
     * Getter for field: data_size
     */
    public static long data_size(MemorySegment struct) {
        return struct.get(data_size$LAYOUT, data_size$OFFSET);
    }

    /**
     * Setter for field: data_size
     */
    public static void data_size(MemorySegment struct, long fieldValue) {
        struct.set(data_size$LAYOUT, data_size$OFFSET, fieldValue);
    }

    private static final OfLong return_size$LAYOUT = (OfLong)$LAYOUT.select(groupElement("return_size"));

    private static final long return_size$OFFSET = 32;

    /**
     * Offset for field: return_size
     */
    public static final long return_size$offset() {
        return return_size$OFFSET;
    }

    /**
     * Getter for field: return_size
     */
    public static long return_size(MemorySegment struct) {
        return struct.get(return_size$LAYOUT, return_size$OFFSET);
    }

    /**
     * Setter for field: return_size
     */
    public static void return_size(MemorySegment struct, long fieldValue) {
        struct.set(return_size$LAYOUT, return_size$OFFSET, fieldValue);
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
