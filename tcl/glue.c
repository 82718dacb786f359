/*
 * glue.c --
 *
 *	Wrappers around the Tcl stubs table and the trampolines of our
 *	channel type. Kept free of logic: every decision is made in Go.
 */

#include "glue.h"
#include "_cgo_export.h"

const char *
tclgo_InitStubs(Tcl_Interp *interp)
{
    if (Tcl_InitStubs(interp, "8.6", 0) == NULL) {
	return "this package needs Tcl 8.6 or later";
    }
    return NULL;
}

int tclgo_PkgProvide(Tcl_Interp *interp, const char *name, const char *version)
{ return Tcl_PkgProvide(interp, name, version); }

static int
ObjCmdTrampoline(ClientData cd, Tcl_Interp *interp, int objc,
	Tcl_Obj *const objv[])
{
    return tclgoObjCmd((uintptr_t) cd, interp, objc, (Tcl_Obj **) objv);
}

static void
CmdDeleteTrampoline(ClientData cd)
{
    tclgoCmdDelete((uintptr_t) cd);
}

Tcl_Command
tclgo_CreateObjCommand(Tcl_Interp *interp, const char *name, uintptr_t handle)
{
    return Tcl_CreateObjCommand(interp, name, ObjCmdTrampoline,
	    (ClientData) handle, CmdDeleteTrampoline);
}

void tclgo_SetObjResult(Tcl_Interp *interp, Tcl_Obj *obj)
{ Tcl_SetObjResult(interp, obj); }
Tcl_Obj *tclgo_GetObjResult(Tcl_Interp *interp)
{ return Tcl_GetObjResult(interp); }
void tclgo_ResetResult(Tcl_Interp *interp)
{ Tcl_ResetResult(interp); }
int tclgo_EvalEx(Tcl_Interp *interp, const char *script, int len, int flags)
{ return Tcl_EvalEx(interp, script, len, flags); }
int tclgo_EvalObjEx(Tcl_Interp *interp, Tcl_Obj *obj, int flags)
{ return Tcl_EvalObjEx(interp, obj, flags); }
void tclgo_SetObjErrorCode(Tcl_Interp *interp, Tcl_Obj *obj)
{ Tcl_SetObjErrorCode(interp, obj); }
void tclgo_AddErrorInfo(Tcl_Interp *interp, const char *msg)
{ Tcl_AddErrorInfo(interp, msg); }
void tclgo_BackgroundException(Tcl_Interp *interp, int code)
{ Tcl_BackgroundException(interp, code); }
void tclgo_Preserve(void *p)
{ Tcl_Preserve((ClientData) p); }
void tclgo_Release(void *p)
{ Tcl_Release((ClientData) p); }
int tclgo_InterpDeleted(Tcl_Interp *interp)
{ return Tcl_InterpDeleted(interp); }
Tcl_InterpState tclgo_SaveInterpState(Tcl_Interp *interp, int status)
{ return Tcl_SaveInterpState(interp, status); }
int tclgo_RestoreInterpState(Tcl_Interp *interp, Tcl_InterpState state)
{ return Tcl_RestoreInterpState(interp, state); }
Tcl_Obj *tclgo_GetVar(Tcl_Interp *interp, const char *name, int flags)
{ return Tcl_GetVar2Ex(interp, name, NULL, flags); }
Tcl_Obj *tclgo_SetVar(Tcl_Interp *interp, const char *name, Tcl_Obj *value, int flags)
{ return Tcl_SetVar2Ex(interp, name, NULL, value, flags); }

Tcl_Obj *tclgo_NewStringObj(const char *s, int len)
{ return Tcl_NewStringObj(s, len); }
Tcl_Obj *tclgo_NewWideIntObj(Tcl_WideInt v)
{ return Tcl_NewWideIntObj(v); }
Tcl_Obj *tclgo_NewByteArrayObj(const unsigned char *b, int len)
{ return Tcl_NewByteArrayObj(b, len); }
Tcl_Obj *tclgo_NewListObj(void)
{ return Tcl_NewListObj(0, NULL); }
int tclgo_ListAppend(Tcl_Interp *interp, Tcl_Obj *list, Tcl_Obj *elem)
{ return Tcl_ListObjAppendElement(interp, list, elem); }
int tclgo_ListElements(Tcl_Interp *interp, Tcl_Obj *list, int *objc, Tcl_Obj ***objv)
{ return Tcl_ListObjGetElements(interp, list, objc, objv); }
const char *tclgo_GetString(Tcl_Obj *obj, int *len)
{ return Tcl_GetStringFromObj(obj, len); }
unsigned char *tclgo_GetByteArray(Tcl_Obj *obj, int *len)
{ return Tcl_GetByteArrayFromObj(obj, len); }
int tclgo_GetWideInt(Tcl_Interp *interp, Tcl_Obj *obj, Tcl_WideInt *v)
{ return Tcl_GetWideIntFromObj(interp, obj, v); }
int tclgo_GetBoolean(Tcl_Interp *interp, Tcl_Obj *obj, int *v)
{ return Tcl_GetBooleanFromObj(interp, obj, v); }
void tclgo_IncrRefCount(Tcl_Obj *obj)
{ Tcl_IncrRefCount(obj); }
void tclgo_DecrRefCount(Tcl_Obj *obj)
{ Tcl_DecrRefCount(obj); }
int tclgo_IsShared(Tcl_Obj *obj)
{ return Tcl_IsShared(obj); }

int
tclgo_HasByteArrayType(Tcl_Obj *obj)
{
    const Tcl_ObjType *t = Tcl_GetObjType("bytearray");
    return t != NULL && obj->typePtr == t;
}

/*
 * Our channel type. Every procedure hands the instance's handle to Go.
 */

static int
CloseProc(ClientData cd, Tcl_Interp *interp)
{
    return tclgoChanClose((uintptr_t) cd, interp);
}

static int
InputProc(ClientData cd, char *buf, int toRead, int *errorCodePtr)
{
    return tclgoChanInput((uintptr_t) cd, buf, toRead, errorCodePtr);
}

static int
OutputProc(ClientData cd, const char *buf, int toWrite, int *errorCodePtr)
{
    return tclgoChanOutput((uintptr_t) cd, (char *) buf, toWrite,
	    errorCodePtr);
}

static int
SetOptionProc(ClientData cd, Tcl_Interp *interp, const char *name,
	const char *value)
{
    return tclgoChanSetOption((uintptr_t) cd, interp, (char *) name,
	    (char *) value);
}

static int
GetOptionProc(ClientData cd, Tcl_Interp *interp, const char *name,
	Tcl_DString *ds)
{
    return tclgoChanGetOption((uintptr_t) cd, interp, (char *) name, ds);
}

static void
WatchProc(ClientData cd, int mask)
{
    tclgoChanWatch((uintptr_t) cd, mask);
}

static int
GetHandleProc(ClientData cd, int direction, ClientData *handlePtr)
{
    return tclgoChanGetHandle((uintptr_t) cd, direction, handlePtr);
}

static int
BlockModeProc(ClientData cd, int mode)
{
    return tclgoChanBlockMode((uintptr_t) cd, mode);
}

static int
HandlerProc(ClientData cd, int mask)
{
    return tclgoChanHandler((uintptr_t) cd, mask);
}

static void
ThreadActionProc(ClientData cd, int action)
{
    tclgoChanThreadAction((uintptr_t) cd, action);
}

static Tcl_ChannelType channelType = {
    "tls",			/* typeName */
    TCL_CHANNEL_VERSION_5,	/* version */
    CloseProc,			/* closeProc */
    InputProc,			/* inputProc */
    OutputProc,			/* outputProc */
    NULL,			/* seekProc */
    SetOptionProc,		/* setOptionProc */
    GetOptionProc,		/* getOptionProc */
    WatchProc,			/* watchProc */
    GetHandleProc,		/* getHandleProc */
    NULL,			/* close2Proc */
    BlockModeProc,		/* blockModeProc */
    NULL,			/* flushProc */
    HandlerProc,		/* handlerProc */
    NULL,			/* wideSeekProc */
    ThreadActionProc,		/* threadActionProc */
    NULL			/* truncateProc */
};

void tclgo_SetChannelTypeName(const char *name)
{ channelType.typeName = name; }

Tcl_Channel tclgo_GetChannel(Tcl_Interp *interp, const char *name, int *mode)
{ return Tcl_GetChannel(interp, name, mode); }
const char *tclgo_GetChannelName(Tcl_Channel chan)
{ return Tcl_GetChannelName(chan); }
const char *tclgo_GetChannelTypeName(Tcl_Channel chan)
{ return Tcl_GetChannelType(chan)->typeName; }
int tclgo_IsOurChannel(Tcl_Channel chan)
{ return Tcl_GetChannelType(chan) == &channelType; }
uintptr_t tclgo_GetInstanceHandle(Tcl_Channel chan)
{ return (uintptr_t) Tcl_GetChannelInstanceData(chan); }
Tcl_Channel tclgo_GetStackedChannel(Tcl_Channel chan)
{ return Tcl_GetStackedChannel(chan); }
Tcl_Channel tclgo_GetTopChannel(Tcl_Channel chan)
{ return Tcl_GetTopChannel(chan); }
Tcl_Channel tclgo_StackChannel(Tcl_Interp *interp, uintptr_t handle, int mask, Tcl_Channel below)
{ return Tcl_StackChannel(interp, &channelType, (ClientData) handle, mask, below); }
int tclgo_UnstackChannel(Tcl_Interp *interp, Tcl_Channel chan)
{ return Tcl_UnstackChannel(interp, chan); }
int tclgo_InputBuffered(Tcl_Channel chan)
{ return Tcl_InputBuffered(chan); }
void tclgo_NotifyChannel(Tcl_Channel chan, int mask)
{ Tcl_NotifyChannel(chan, mask); }
int tclgo_SetChannelOption(Tcl_Interp *interp, Tcl_Channel chan, const char *name, const char *value)
{ return Tcl_SetChannelOption(interp, chan, name, value); }
int tclgo_GetChannelMode(Tcl_Channel chan)
{ return Tcl_GetChannelMode(chan); }
void tclgo_RegisterChannel(Tcl_Interp *interp, Tcl_Channel chan)
{ Tcl_RegisterChannel(interp, chan); }
void tclgo_CutChannel(Tcl_Channel chan)
{ Tcl_CutChannel(chan); }
void tclgo_SpliceChannel(Tcl_Channel chan)
{ Tcl_SpliceChannel(chan); }
int tclgo_BadChannelOption(Tcl_Interp *interp, const char *name, const char *options)
{ return Tcl_BadChannelOption(interp, name, options); }

int
tclgo_ReadRaw(Tcl_Channel chan, char *buf, int len, int *err)
{
    int n;

    Tcl_SetErrno(0);
    n = Tcl_ReadRaw(chan, buf, len);
    *err = (n < 0) ? Tcl_GetErrno() : 0;
    return n;
}

int
tclgo_WriteRaw(Tcl_Channel chan, const char *buf, int len, int *err)
{
    int n;

    Tcl_SetErrno(0);
    n = Tcl_WriteRaw(chan, buf, len);
    *err = (n < 0) ? Tcl_GetErrno() : 0;
    return n;
}

int
tclgo_GetChannelOption(Tcl_Interp *interp, Tcl_Channel chan, const char *name,
	Tcl_Obj **value)
{
    Tcl_DString ds;
    int code;

    Tcl_DStringInit(&ds);
    code = Tcl_GetChannelOption(interp, chan, name, &ds);
    if (code == TCL_OK) {
	*value = Tcl_NewStringObj(Tcl_DStringValue(&ds),
		Tcl_DStringLength(&ds));
    }
    Tcl_DStringFree(&ds);
    return code;
}

void
tclgo_DriverWatch(Tcl_Channel chan, int mask)
{
    Tcl_DriverWatchProc *proc = Tcl_ChannelWatchProc(Tcl_GetChannelType(chan));

    if (proc != NULL) {
	proc(Tcl_GetChannelInstanceData(chan), mask);
    }
}

int
tclgo_DriverBlockMode(Tcl_Channel chan, int mode)
{
    Tcl_DriverBlockModeProc *proc =
	    Tcl_ChannelBlockModeProc(Tcl_GetChannelType(chan));

    return proc == NULL ? 0 : proc(Tcl_GetChannelInstanceData(chan), mode);
}

int
tclgo_DriverGetOption(Tcl_Channel chan, Tcl_Interp *interp, const char *name,
	Tcl_DString *ds)
{
    Tcl_DriverGetOptionProc *proc =
	    Tcl_ChannelGetOptionProc(Tcl_GetChannelType(chan));

    if (proc == NULL) {
	return (name == NULL) ? TCL_OK : Tcl_BadChannelOption(interp, name, "");
    }
    return proc(Tcl_GetChannelInstanceData(chan), interp, name, ds);
}

int
tclgo_DriverSetOption(Tcl_Channel chan, Tcl_Interp *interp, const char *name,
	const char *value)
{
    Tcl_DriverSetOptionProc *proc =
	    Tcl_ChannelSetOptionProc(Tcl_GetChannelType(chan));

    if (proc == NULL) {
	return Tcl_BadChannelOption(interp, name, "");
    }
    return proc(Tcl_GetChannelInstanceData(chan), interp, name, value);
}

int
tclgo_DriverGetHandle(Tcl_Channel chan, int direction, ClientData *handle)
{
    return Tcl_GetChannelHandle(chan, direction, handle);
}

void
tclgo_DriverThreadAction(Tcl_Channel chan, int action)
{
    Tcl_DriverThreadActionProc *proc =
	    Tcl_ChannelThreadActionProc(Tcl_GetChannelType(chan));

    if (proc != NULL) {
	proc(Tcl_GetChannelInstanceData(chan), action);
    }
}

void tclgo_DStringAppend(Tcl_DString *ds, const char *s, int len)
{ Tcl_DStringAppend(ds, s, len); }
void tclgo_DStringAppendElement(Tcl_DString *ds, const char *s)
{ Tcl_DStringAppendElement(ds, s); }

static void
TimerTrampoline(ClientData cd)
{
    tclgoTimer((uintptr_t) cd);
}

Tcl_TimerToken tclgo_CreateTimer(int ms, uintptr_t handle)
{ return Tcl_CreateTimerHandler(ms, TimerTrampoline, (ClientData) handle); }
void tclgo_DeleteTimer(Tcl_TimerToken token)
{ Tcl_DeleteTimerHandler(token); }

int tclgo_GetErrno(void)
{ return Tcl_GetErrno(); }
void tclgo_SetErrno(int err)
{ Tcl_SetErrno(err); }

void
tclgo_SetChannelError(Tcl_Channel chan, const char *msg, int len)
{
    /*
     * Tcl wants return options followed by the message, as reflected
     * channels pass them on.
     */

    Tcl_Obj *list = Tcl_NewListObj(0, NULL);

    Tcl_ListObjAppendElement(NULL, list, Tcl_NewStringObj("-code", -1));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewIntObj(TCL_ERROR));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewStringObj("-level", -1));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewIntObj(0));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewStringObj(msg, len));
    Tcl_SetChannelError(chan, list);
}

/*
 * Channel references held by the package itself (hold.go): while a
 * script callback runs, the channel is kept registered once more so that
 * a close from inside the script cannot free it under the driver.
 */

void tclgo_HoldChannel(Tcl_Channel chan)
{ Tcl_RegisterChannel(NULL, chan); }

void tclgo_ReleaseChannel(Tcl_Channel chan)
{ Tcl_UnregisterChannel(NULL, chan); }

int tclgo_IsChannelShared(Tcl_Channel chan)
{ return Tcl_IsChannelShared(chan); }

/* Interpreter deletion notices (hold.go). */

static void tclgo_interp_deleted(ClientData cd, Tcl_Interp *interp)
{
    (void) interp;
    tclgoInterpDeleted((uintptr_t) cd);
}

void tclgo_CallWhenDeleted(Tcl_Interp *interp, uintptr_t handle)
{ Tcl_CallWhenDeleted(interp, tclgo_interp_deleted, (ClientData) handle); }

void tclgo_DontCallWhenDeleted(Tcl_Interp *interp, uintptr_t handle)
{ Tcl_DontCallWhenDeleted(interp, tclgo_interp_deleted, (ClientData) handle); }
