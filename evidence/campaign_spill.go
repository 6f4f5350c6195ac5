package evidence

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// A callout storm leaves hundreds of thousands of link keys: held in
// memory they are 8 MB for 250,000 probes, and the collector's heap goal
// (GOGC=300) made that 25 MB more peak RSS. So past spillAfter keys they
// go to a temporary file, written and read once in order, the way sort(1)
// spills: memory stays bounded whatever the number of probes. When no
// file can be written they stay in memory.
const spillAfter = 4 * keyBlock

const keySize = 32 // bytes of an encoded linkKey

// spill is the temporary file of the keys counted first.
type spill struct {
	f   *os.File
	w   *bufio.Writer
	n   int  // keys written
	off bool // a write failed: keep the keys in memory from now on
}

// maybeSpill writes the in-memory blocks to the file once they hold
// spillAfter keys.
func (k *linkKeys) maybeSpill() {
	if k.sp.off || len(k.blocks)*keyBlock < spillAfter || len(k.blocks[len(k.blocks)-1]) < keyBlock {
		return
	}
	if k.sp.f == nil {
		f, err := os.CreateTemp("", "dnsblaudit-links-*")
		if err != nil {
			k.sp.off = true
			return
		}
		k.sp.f, k.sp.w = f, bufio.NewWriterSize(f, 64<<10)
	}
	var buf [keySize]byte
	for _, block := range k.blocks {
		for _, key := range block {
			binary.LittleEndian.PutUint64(buf[0:], uint64(key.asked))
			binary.LittleEndian.PutUint64(buf[8:], uint64(key.at))
			binary.LittleEndian.PutUint64(buf[16:], key.addr)
			binary.LittleEndian.PutUint32(buf[24:], key.dom)
			binary.LittleEndian.PutUint32(buf[28:], key.host)
			if _, err := k.sp.w.Write(buf[:]); err != nil {
				k.sp.off = true // the file's first sp.n keys stay valid
				return
			}
		}
	}
	if err := k.sp.w.Flush(); err != nil {
		k.sp.off = true
		return
	}
	k.sp.n += len(k.blocks) * keyBlock
	k.blocks = k.blocks[:0]
}

// each calls fn with every key in the order noted: the file's, then the
// memory's. A file that cannot be read back is an error (the counts
// would not be exact).
func (k *linkKeys) each(fn func(linkKey)) error {
	if k.sp.f != nil {
		if err := k.readSpill(fn); err != nil {
			return err
		}
	}
	for _, block := range k.blocks {
		for _, key := range block {
			fn(key)
		}
	}
	return nil
}

func (k *linkKeys) readSpill(fn func(linkKey)) error {
	if _, err := k.sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(k.sp.f, 64<<10)
	var buf [keySize]byte
	for i := 0; i < k.sp.n; i++ {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return err
		}
		fn(linkKey{asked: int64(binary.LittleEndian.Uint64(buf[0:])), at: int64(binary.LittleEndian.Uint64(buf[8:])),
			addr: binary.LittleEndian.Uint64(buf[16:]), dom: binary.LittleEndian.Uint32(buf[24:]), host: binary.LittleEndian.Uint32(buf[28:])})
	}
	return nil
}

// close removes the file (a scan's end, or its cancellation).
func (k *linkKeys) close() error {
	if k.sp.f == nil {
		return nil
	}
	name := k.sp.f.Name()
	err := errors.Join(k.sp.f.Close(), os.Remove(name))
	k.sp.f = nil
	return err
}
