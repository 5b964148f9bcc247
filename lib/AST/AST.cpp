//===- AST.cpp - Spellings of operators and types -------------------------===//
#include "stapc/AST/AST.h"

#include "llvm/Support/ErrorHandling.h"

namespace stapc {

StringRef spelling(UnaryOp Op) {
  switch (Op) {
  case UnaryOp::Neg: return "-";
  case UnaryOp::Plus: return "+";
  case UnaryOp::LogicalNot: return "!";
  case UnaryOp::BitNot: return "~";
  case UnaryOp::PreInc: return "++";
  case UnaryOp::PreDec: return "--";
  case UnaryOp::AddressOf: return "&";
  }
  llvm_unreachable("bad unary op");
}

StringRef spelling(PostfixOp Op) {
  return Op == PostfixOp::PostInc ? "++" : "--";
}

StringRef spelling(BinaryOp Op) {
  switch (Op) {
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Rem: return "%";
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Concat: return ".";
  case BinaryOp::Shl: return "<<";
  case BinaryOp::Shr: return ">>";
  case BinaryOp::LT: return "<";
  case BinaryOp::GT: return ">";
  case BinaryOp::LE: return "<=";
  case BinaryOp::GE: return ">=";
  case BinaryOp::EQ: return "==";
  case BinaryOp::NE: return "!=";
  case BinaryOp::RegexMatch: return "=~";
  case BinaryOp::RegexNoMatch: return "!~";
  case BinaryOp::BitAnd: return "&";
  case BinaryOp::BitXor: return "^";
  case BinaryOp::BitOr: return "|";
  case BinaryOp::LogicalAnd: return "&&";
  case BinaryOp::LogicalOr: return "||";
  }
  llvm_unreachable("bad binary op");
}

StringRef spelling(AssignOp Op) {
  switch (Op) {
  case AssignOp::Assign: return "=";
  case AssignOp::AddAssign: return "+=";
  case AssignOp::SubAssign: return "-=";
  case AssignOp::MulAssign: return "*=";
  case AssignOp::DivAssign: return "/=";
  case AssignOp::RemAssign: return "%=";
  case AssignOp::ShlAssign: return "<<=";
  case AssignOp::ShrAssign: return ">>=";
  case AssignOp::AndAssign: return "&=";
  case AssignOp::XorAssign: return "^=";
  case AssignOp::OrAssign: return "|=";
  case AssignOp::ConcatAssign: return ".=";
  case AssignOp::Aggregate: return "<<<";
  }
  llvm_unreachable("bad assign op");
}

StringRef spelling(StatKind K) {
  switch (K) {
  case StatKind::Count: return "count";
  case StatKind::Sum: return "sum";
  case StatKind::Min: return "min";
  case StatKind::Max: return "max";
  case StatKind::Avg: return "avg";
  case StatKind::Variance: return "variance";
  case StatKind::HistLog: return "hist_log";
  case StatKind::HistLinear: return "hist_linear";
  }
  llvm_unreachable("bad stat kind");
}

StringRef spelling(TypeKind T) {
  switch (T) {
  case TypeKind::Unknown: return "unknown";
  case TypeKind::Long: return "long";
  case TypeKind::String: return "string";
  case TypeKind::Stats: return "stats";
  case TypeKind::Void: return "void";
  case TypeKind::SymName: return "symname() result";
  case TypeKind::SymData: return "symdata() result";
  case TypeKind::KStack: return "backtrace() result";
  case TypeKind::UStack: return "ubacktrace() result";
  case TypeKind::KStackText: return "sprint_backtrace() result";
  case TypeKind::UStackText: return "sprint_ubacktrace() result";
  case TypeKind::USymName: return "usymname() result";
  case TypeKind::USymData: return "usymdata() result";
  }
  llvm_unreachable("bad type");
}

} // namespace stapc
